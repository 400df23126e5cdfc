"""Sample posts the demo blog seeds on first run."""

from __future__ import annotations

POSTS: tuple[dict[str, str], ...] = (
    {
        "slug": "quarterly-update-july-to-september-2026",
        "title": "Quarterly update: July to September 2026",
        "author": "Programmes desk, Chiang Rai office",
        "published": "2026-11-12",
        "summary": (
            "A look at what our teams did over the third quarter of 2026, "
            "with a few numbers, what they do and do not tell us, and what "
            "comes next."
        ),
        "body": """\
Every three months we pause to count what we can count and to think about what we cannot. This update covers July to September 2026. As always, the figures are drawn from our own case logs and training registers, and they describe the work of one small organisation, not the scale of the problem in the region.

Here is the quarter in brief:

- **412** calls and messages answered by the hotline team, up from 356 last quarter
- **87** people supported with case work, of whom 31 were under eighteen
- **19** safe returns arranged with partner organisations across two borders
- **1,240** people reached through community sessions in villages, schools and markets
- **46** new volunteers completing the foundation training week

The rise in hotline contacts is mostly explained by messaging. For the first time, more people reached us through chat than by voice call, and most of those chats began late in the evening. We have shifted two staff rotas so that someone who speaks Burmese is online until midnight on weekdays.

Case work remained the part of the programme that takes the most time and the most care. Many of the people we supported did not describe themselves as victims of anything; they came to us because wages had not been paid, a document had been kept by an employer, or a debt kept growing no matter how much they worked. We try to meet people where they are and let them decide what help looks like.

> "Numbers matter to funders and to us, but the number we watch most closely is how many people come back to tell a friend where to find us."

There were also things that did not go well. A planned outreach route along the river was postponed twice because of flooding, and our shelter ran close to capacity for most of August. We are discussing with partners how to share emergency beds more flexibly when this happens again.

For the next quarter we will focus on three things: finishing the translated leaflet series, training a second group of hotline volunteers, and publishing a short plain-language guide on recruitment fees. Thank you to everyone who read, shared, volunteered or gave this quarter. The work is slow, and it is shared.
""",
    },
    {
        "slug": "new-leaflets-in-four-languages",
        "title": "Our outreach leaflets are now available in four languages",
        "author": "Outreach coordination team",
        "published": "2026-10-28",
        "summary": (
            "Our pocket-sized information leaflets, including hotline "
            "details, can now be requested in Thai, Burmese, Khmer and "
            "Chinese."
        ),
        "body": """\
For a long time our printed materials existed mainly in Thai, with a photocopied Burmese version that many of you will remember for its very small print. We are glad to say that a new set of pocket-sized leaflets is now ready in four languages: Thai, Burmese, Khmer and simplified Chinese.

Each leaflet folds to the size of a phone and covers the same core information:

- how to recognise when a job offer or a working situation is not what it seems
- your basic rights at work, whatever your documents say
- how to reach our hotline by voice call or chat, free of charge and in your own language
- what happens when you contact us, and what we will never do without your agreement

Every leaflet opens with the same short line. We chose it together with former shelter residents, who told us that the first thing they needed to hear was not advice, but a simple "you are not alone":

> คุณไม่ได้อยู่คนเดียว
>
> သင် တစ်ယောက်တည်း မဟုတ်ပါ။
>
> អ្នកមិននៅម្នាក់ឯងទេ
>
> 你并不孤单

The translations were not done by a machine or by a single translator. Each version was drafted by a native speaker on our team, then read aloud to small groups of community members who checked that it sounded natural and that nothing in it could be misread as a promise of a job, a visa or money. Several sentences changed as a result, and the leaflets are better for it.

Hotline staff can now answer in all four languages during daytime hours, and in Thai and Burmese until midnight on weekdays. If we cannot answer in your language straight away, we will arrange a call back with a colleague who can.

Partner organisations, clinics, temples, schools and employers who wish to display the leaflets can ask for a free bundle through the contact form on this site. We ask only that they are placed somewhere people can take one quietly, without having to ask a staff member. Discretion is part of safety.

If you spot a mistake in any of the four versions, please tell us. We would much rather reprint than leave an error in something people may one day rely on.
""",
    },
    {
        "slug": "what-i-learned-in-training-week",
        "title": "What I learned in training week",
        "author": "A first-year volunteer, Chiang Rai office",
        "published": "2026-10-14",
        "summary": (
            "One of our new volunteers writes about the foundation training "
            "week: the listening exercises, the hard conversations, and the "
            "habits she is taking with her."
        ),
        "body": """\
I signed up to volunteer because I thought I already understood the issue. I had read reports, watched documentaries and shared posts. By the second morning of training week, I realised that most of what I knew was a set of dramatic images, and that the reality people described to us was quieter, slower and much more ordinary.

The week was organised around a simple idea: before you can help anyone, you have to learn to listen without taking over. On the first day we practised this in pairs. One person talked for five minutes about a difficult decision in their own life, and the other was not allowed to give advice, only to ask questions and reflect back what they had heard. It was far harder than it sounds. Almost everyone in the room broke the rule within the first minute.

Later in the week, a former shelter resident spoke to us about her own experience. She asked us not to record her name or take notes while she spoke, and we did not. What stayed with me was not the worst part of her story but how she described the small things that helped: a staff member who remembered how she took her tea, being asked what she wanted to do next instead of being told.

Some of the practical habits I am taking away:

- ask permission before asking personal questions, and accept "no" as a full answer
- never promise an outcome you do not control
- write case notes as if the person will read them one day
- look after yourself, because tired volunteers make careless mistakes

> "Our job is not to rescue anyone. Our job is to widen the choices people have and then respect the choice they make."

That sentence, from one of our trainers, is now written on a card on my desk.

I also learned how much of the work is unglamorous: checking that a leaflet translation reads naturally, entering data carefully, making a follow-up call that nobody answers, then making it again the next day. I used to think of that kind of work as the background. Now I think it is the work.

I start my first hotline shifts next month, always alongside an experienced colleague. I am nervous, but I feel prepared in a way I did not expect. Thank you to the trainers, to the other volunteers in my group, and above all to the woman who trusted us with her story.
""",
    },
    {
        "slug": "how-to-spot-a-risky-job-ad-online",
        "title": "Too good to be true? How to spot a risky job ad online",
        "author": "Prevention team",
        "published": "2026-09-30",
        "summary": (
            "Most of the people we meet first heard about their job through "
            "a social media post or a chat group. Here is a practical "
            "checklist for telling a real offer from a dangerous one."
        ),
        "body": """\
A few years ago, most people we supported had been recruited through someone they knew: a neighbour, a relative, a friend of a friend. Today, the first contact is much more often a post in a social media group, a short video, or a message forwarded in a chat app. The recruiter may still turn out to be someone local, but the offer arrives on a screen.

Online recruitment is not in itself a warning sign. Many honest employers advertise this way, and many people find good work through it. The difficulty is that a convincing post costs almost nothing to make, and it can be deleted as soon as it has done its job.

From the cases our teams have seen, some patterns come up again and again. Before accepting an offer you found online, take a few minutes to go through this checklist:

1. **Is the pay much higher than similar jobs?** Offers of two or three times the usual wage for work that needs no experience are the most common lure we see.
2. **Is the employer named?** Be careful if you cannot find the company's full name, address and a phone number that someone actually answers.
3. **Are you being rushed?** "Only three places left" or "the bus leaves tomorrow" is designed to stop you thinking and asking.
4. **Do you have to pay first?** Fees for a visa, training, transport or a uniform, especially if they will be "taken from your first salary", can become a debt that is used to control you.
5. **Will someone else keep your documents?** No legitimate employer needs to hold your passport or identity card.
6. **Does the conversation move to private chat quickly?** Recruiters often ask you to delete messages or move to an app they prefer.
7. **Is the job in another country with no written contract?** Ask for the contract in a language you read well, before you travel.

> If an offer fails two or more of these checks, stop and talk to someone you trust before you decide anything.

None of this means you should turn down every opportunity. It means taking the time to check. Share the details of the offer with a family member, save screenshots of the advertisement and the messages, and tell someone where you are going and when you expect to arrive.

You can also send a description of the job to our hotline, by voice call or chat. We will not judge you for considering it, and we will not report you to anyone. We will simply help you think through the questions above and tell you what we know.
""",
    },
    {
        "slug": "field-notes-from-the-border-shelter",
        "title": "Field notes from the border shelter",
        "author": "Field team, Mae Sot office",
        "published": "2026-09-16",
        "summary": (
            "A week at our small shelter near the river crossing: the "
            "routines that make it feel safe, the people who pass through, "
            "and the rainy-season challenges."
        ),
        "body": """\
The shelter sits at the end of an unpaved lane, a two-storey house with a wide veranda and a vegetable garden that one of our longer-term residents has taken over completely. From the outside it looks like any other family home on the street, which is exactly the point.

This week there were eleven people staying with us: seven women, two teenage girls and a mother with her young son. Some had arrived only a few days earlier; one had been with us for almost three months while her case was resolved. Most had come from factory or domestic work where their wages had been withheld or their documents taken. We do not ask anyone to tell their story until they are ready, and some never do. That is their right.

Days at the shelter follow a routine that residents helped to design. Breakfast is at seven, and whoever is on the cooking rota chooses the menu. Mornings are for appointments: a visit from the clinic nurse, a call with a legal adviser, or a language class for those who want one. Afternoons are quieter. This week, that meant a sewing circle on the veranda, a lot of card games, and a long debate about the best way to cook morning glory.

The rainy season has been hard on the building. The lane flooded twice, and for two days the nurse could not reach us. We are grateful to a neighbour who lent us a small boat to collect medicine, and who asked for nothing in return except a share of the garden's chillies.

A few things we are working on this month:

- replacing the roof over the kitchen before the next heavy rains
- finding a second interpreter who speaks Karen as well as Burmese
- planning a small farewell for two residents who are ready to return home

> "Here I sleep the whole night," one resident said when we asked what had changed for her. It was the simplest answer anyone gave us, and maybe the most important.

Returning home is never a single moment. It involves weeks of careful planning with partner organisations on the other side of the border, checking that family members are safe to return to, and making sure that the debt or the recruiter that started everything is not waiting at the other end.

We will share more from the shelter next month. As always, names and identifying details in these notes have been changed or left out.
""",
    },
)
